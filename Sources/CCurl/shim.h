#ifndef VOICE_CCURL_SHIM_H
#define VOICE_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
// one typed wrapper per argument kind.
static inline CURLcode voice_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode voice_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode voice_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode voice_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode voice_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*voice_curl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode voice_curl_setopt_data_callback(CURL *h, CURLoption o, voice_curl_data_callback v) { return curl_easy_setopt(h, o, v); }
typedef int (*voice_curl_seek_callback)(void *, curl_off_t, int);
static inline CURLcode voice_curl_setopt_seek_callback(CURL *h, CURLoption o, voice_curl_seek_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode voice_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode voice_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode voice_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
#endif
