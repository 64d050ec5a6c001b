#ifndef VOICE_CFASTCGI_SHIM_H
#define VOICE_CFASTCGI_SHIM_H
#include <fcgiapp.h>
#endif
