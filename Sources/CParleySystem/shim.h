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

#include <sys/resource.h>
#include <errno.h>
/* Moves the calling thread's nice value by `levels` (negative: more important), within -20...19.
   On Linux each thread has its own nice value. A thread may always lower its priority; raising it
   needs CAP_SYS_NICE or room under RLIMIT_NICE. Returns 1 when the change was made, else 0. */
static inline int parley_adjust_thread_priority(int levels) {
    errno = 0;
    int current = getpriority(PRIO_PROCESS, 0);
    if (errno != 0) return 0;
    int target = current + levels;
    if (target < -20) target = -20;
    if (target > 19) target = 19;
    return setpriority(PRIO_PROCESS, 0, target) == 0;
}

#include <sched.h>
#ifndef SCHED_BATCH
#define SCHED_BATCH 3 /* Linux's number; <sched.h> names it only under _GNU_SOURCE */
#endif
/* Puts the calling thread under SCHED_BATCH (keeping its nice value): once woken, it waits for a
   free CPU or the next tick instead of preempting the thread running. Any thread may choose it.
   Returns 1 when the change was made, else 0. */
static inline int parley_thread_batch_policy(void) {
    struct sched_param param = { .sched_priority = 0 };
    return pthread_setschedparam(pthread_self(), SCHED_BATCH, &param) == 0;
}

/* sync_file_range(2), a GNU extension: SYNC_FILE_RANGE_WRITE (2) over the whole file starts writing
   its dirty pages back without waiting for them. */
extern int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);
static inline int parley_start_writeback(int fd) { return sync_file_range(fd, 0, 0, 2); }
