/* lpecho_client HOST PORT COUNT SIZE
 * Anchor echo client: strictly one request in flight, so each sample is a
 * true round trip. Prints {"count":N,"p50_us":X,"p99_us":Y,"mean_us":Z}. */
#include "lpecho_common.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>

#define WARMUP 1000

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile on a sorted array. */
static double pct(const double *s, long n, double p) {
    long i = (long)(p * (double)n + 0.999999) - 1;
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return s[i];
}

static int connect_to(const char *host, const char *port) {
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) { fprintf(stderr, "getaddrinfo %s:%s: %s\n", host, port, gai_strerror(rc)); exit(1); }
    int fd = -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) die("connect");
    return fd;
}

/* One round trip: a single write of header+payload (so the request is one
 * segment), then read the whole echoed frame and check it matches. */
static void round_trip(int fd, unsigned char *out, unsigned char *in, size_t size) {
    if (write_full(fd, out, 4 + size) < 0) die("write");
    if (read_full(fd, in, 4 + size) != 1) die("read");
    if (memcmp(in, out, 4 + size) != 0) { fprintf(stderr, "echo mismatch\n"); exit(1); }
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s HOST PORT COUNT SIZE\n", argv[0]); return 2; }
    long count = atol(argv[3]);
    long size = atol(argv[4]);
    if (count <= 0) { fprintf(stderr, "bad count: %s\n", argv[3]); return 2; }
    if (size < 0 || (unsigned long)size > LPECHO_MAX_FRAME) { fprintf(stderr, "bad size: %s\n", argv[4]); return 2; }

    int fd = connect_to(argv[1], argv[2]);
    int one = 1;
    /* Without NODELAY, Nagle + delayed ACK would dominate the measurement. */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) die("TCP_NODELAY");

    unsigned char *out = malloc(4 + (size_t)size);
    unsigned char *in = malloc(4 + (size_t)size);
    double *samples = malloc(sizeof(double) * (size_t)count);
    if (!out || !in || !samples) die("malloc");
    put_be32(out, (uint32_t)size);
    for (long i = 0; i < size; i++) out[4 + i] = (unsigned char)i;

    /* Warm caches, the scheduler and the server's buffers before sampling. */
    for (int i = 0; i < WARMUP; i++) round_trip(fd, out, in, (size_t)size);

    double total = 0;
    for (long i = 0; i < count; i++) {
        double t0 = now_us();
        round_trip(fd, out, in, (size_t)size);
        samples[i] = now_us() - t0;
        total += samples[i];
    }
    close(fd);

    qsort(samples, (size_t)count, sizeof(double), cmp_double);
    printf("{\"count\":%ld,\"p50_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f}\n",
           count, pct(samples, count, 0.50), pct(samples, count, 0.99), total / (double)count);
    free(out); free(in); free(samples);
    return 0;
}
