/* Linux interfaces that the Glibc module does not export to Swift. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <pthread.h>
#include <malloc.h>

/* GNU extensions, declared here because the Glibc module is built without _GNU_SOURCE. */
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);

/* epoll_event is packed on x86_64; build and read it here so Swift never depends on the layout. */
static inline int parley_epoll_ctl(int epfd, int op, int fd, unsigned int events) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = 0;
    ev.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &ev);
}

/* Waits and copies ready (fd, events) pairs into two plain arrays. */
static inline int parley_epoll_wait(int epfd, int *fds, unsigned int *events, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        fds[i] = evs[i].data.fd;
        events[i] = evs[i].events;
    }
    return n;
}

/* Caps the number of glibc malloc arenas (M_ARENA_MAX is a macro Swift cannot see). */
static inline int parley_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}
