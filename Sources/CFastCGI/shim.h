#ifndef VOICE_CFASTCGI_SHIM_H
#define VOICE_CFASTCGI_SHIM_H
#include <fcgiapp.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

// glibc declares accept4 only under _GNU_SOURCE.
extern int accept4(int, struct sockaddr *, socklen_t *, int);

/// Accepts a connection that no child process inherits.
static inline int voice_fcgi_accept(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}

/// The epoll instance all serving threads of a process wait on. `listener` is
/// watched with EPOLLEXCLUSIVE, so a new connection wakes one process sharing
/// the socket rather than all of them, and one of its threads; `wake` (the stop
/// pipe) stays readable once written, so it wakes them all. Connections nginx
/// keeps open between requests join it one-shot (`voice_fcgi_poller_watch`).
/// Returns -1 with errno set on failure.
static inline int voice_fcgi_poller_create(int listener, int wake) {
    int instance = epoll_create1(EPOLL_CLOEXEC);
    if (instance < 0) return -1;
    struct epoll_event connection = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data = { .fd = listener } };
    struct epoll_event stop = { .events = EPOLLIN, .data = { .fd = wake } };
    if (epoll_ctl(instance, EPOLL_CTL_ADD, listener, &connection) != 0
        || epoll_ctl(instance, EPOLL_CTL_ADD, wake, &stop) != 0) {
        int saved = errno;
        close(instance);
        errno = saved;
        return -1;
    }
    return instance;
}

/// Blocks until one descriptor is ready and returns it (the listener, the stop
/// pipe or a kept connection); -1 with errno on failure.
static inline int voice_fcgi_poller_wait(int instance) {
    struct epoll_event event;
    int count;
    do {
        count = epoll_wait(instance, &event, 1, -1);
    } while (count == 0);
    return count < 0 ? -1 : event.data.fd;
}

/// Watches a kept connection for its next request, once: the thread that is
/// woken for it owns it until it watches it again or closes it. `known` says
/// whether the connection was watched before (it came from the poller).
static inline int voice_fcgi_poller_watch(int instance, int connection, int known) {
    struct epoll_event next = { .events = EPOLLIN | EPOLLONESHOT, .data = { .fd = connection } };
    return epoll_ctl(instance, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, connection, &next);
}

/// Stops watching `descriptor` (the listener, when the process stops accepting).
static inline int voice_fcgi_poller_forget(int instance, int descriptor) {
    return epoll_ctl(instance, EPOLL_CTL_DEL, descriptor, NULL);
}
#endif
