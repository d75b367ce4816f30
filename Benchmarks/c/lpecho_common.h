/* Shared helpers for the length-prefixed echo anchors.
 * Frames are a 4-byte big-endian length followed by that many payload bytes. */
#ifndef LPECHO_COMMON_H
#define LPECHO_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Frames bigger than this are treated as a protocol error rather than an
 * allocation request, so a corrupt header cannot make us malloc gigabytes. */
#define LPECHO_MAX_FRAME (16u * 1024u * 1024u)

/* Read exactly n bytes. Returns 1 on success, 0 on clean EOF before any byte,
 * -1 on error or EOF mid-buffer (a truncated frame is an error, not an EOF). */
static inline int read_full(int fd, void *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r > 0) { got += (size_t)r; continue; }
        if (r == 0) {
            if (got == 0) return 0;
            errno = ECONNRESET;
            return -1;
        }
        if (errno == EINTR) continue;
        return -1;
    }
    return 1;
}

/* Write exactly n bytes; the kernel may accept fewer per call. */
static inline int write_full(int fd, const void *buf, size_t n) {
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);
        if (w >= 0) { put += (size_t)w; continue; }
        if (errno == EINTR) continue;
        return -1;
    }
    return 0;
}

static inline void put_be32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);  p[3] = (unsigned char)v;
}

static inline uint32_t get_be32(const unsigned char *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void die(const char *what) {
    perror(what);
    exit(1);
}

#endif
