// What the Web server needs from Linux that Swift cannot call directly: openat2(2) has no libc wrapper.
#ifndef CDOORWAY_WEB_H
#define CDOORWAY_WEB_H

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif

/// Opens `path` relative to `dirfd`, refusing any resolution that leaves `dirfd`'s tree: `..` above it,
/// absolute paths, and symlinks that lead outside. Returns -1 with errno EXDEV for an escape, ENOSYS on
/// kernels before 5.6.
static inline int cdoorway_open_beneath(int dirfd, const char *path, int flags) {
#if defined(SYS_openat2) && defined(RESOLVE_BENEATH)
    struct open_how how = {0};
    how.flags = (unsigned long long)flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
#else
    errno = ENOSYS;
    return -1;
#endif
}

#endif
