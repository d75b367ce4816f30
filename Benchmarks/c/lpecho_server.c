/* lpecho_server PORT
 * Anchor echo server: one thread per connection, blocking I/O. This is the
 * simplest thing that gives a lower bound on loopback round-trip latency, so
 * Doorway's echo server is compared against it. */
#include "lpecho_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

static void *serve(void *arg) {
    int fd = (int)(intptr_t)arg;
    unsigned char *buf = NULL;
    size_t cap = 0;

    for (;;) {
        unsigned char hdr[4];
        int r = read_full(fd, hdr, 4);
        if (r == 0) break;                          /* client closed cleanly */
        if (r < 0) { perror("read header"); break; }
        uint32_t len = get_be32(hdr);
        if (len > LPECHO_MAX_FRAME) { fprintf(stderr, "frame too large: %u\n", len); break; }
        /* Keep header and payload in one buffer so the echo goes out in a
         * single write (one segment), as the client's request does. */
        if (4 + (size_t)len > cap) {
            cap = 4 + (size_t)len;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) { perror("realloc"); break; }
            buf = nb;
        }
        memcpy(buf, hdr, 4);
        if (len > 0 && read_full(fd, buf + 4, len) != 1) { perror("read payload"); break; }
        if (write_full(fd, buf, 4 + (size_t)len) < 0) { perror("write"); break; }
    }
    free(buf);
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PORT\n", argv[0]); return 2; }
    int port = atoi(argv[1]);
    if (port <= 0 || port > 65535) { fprintf(stderr, "bad port: %s\n", argv[1]); return 2; }

    /* A client vanishing mid-write must not kill the whole server. */
    signal(SIGPIPE, SIG_IGN);

    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0) die("socket");
    int one = 1;
    /* Benchmarks restart servers on the same port back to back. */
    if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) die("SO_REUSEADDR");

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(ls, 128) < 0) die("listen");

    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            die("accept");
        }
        /* Without NODELAY, small echoes can wait on delayed ACKs (~40 ms). */
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) die("TCP_NODELAY");
        pthread_t t;
        if (pthread_create(&t, NULL, serve, (void *)(intptr_t)fd) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            close(fd);
            continue;
        }
        pthread_detach(t);
    }
}
