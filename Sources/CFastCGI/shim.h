#ifndef VOICE_CFASTCGI_SHIM_H
#define VOICE_CFASTCGI_SHIM_H
#include <fcgiapp.h>
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

/// An epoll instance for one serving thread: `listener` is watched with
/// EPOLLEXCLUSIVE, so a new connection wakes one waiting thread of all the
/// processes sharing the socket rather than every one of them; `wake` (the
/// stop pipe) wakes them all. Returns -1 with errno set on failure.
static inline int voice_fcgi_waiter_create(int listener, int wake) {
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

/// Blocks until something is ready: bit 1 set when `listener` has a connection
/// waiting, bit 2 when the stop pipe was written; -1 with errno on failure.
static inline int voice_fcgi_waiter_wait(int instance, int listener) {
    struct epoll_event events[2];
    int count = epoll_wait(instance, events, 2, -1);
    if (count < 0) return -1;
    int ready = 0;
    for (int index = 0; index < count; index++) ready |= events[index].data.fd == listener ? 1 : 2;
    return ready;
}
#endif
