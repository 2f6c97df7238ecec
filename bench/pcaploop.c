/*
 * pcaploop: the "bare libpcap loop" baseline for the pktlens benchmarks.
 *
 * usage: pcaploop FILE.pcap
 *
 * Opens FILE with pcap_fopen_offline() on a FILE* that has a 64 KiB stdio
 * buffer and no stdio locking (as pktlens does), loops pcap_next_ex() counting frames and captured bytes, and
 * prints "frames=N bytes=M".  This is the floor any pcap reader pays.
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -Werror -o pcaploop pcaploop.c -lpcap
 */
/* pcap.h uses the BSD u_char/u_int types, hidden by strict -std=c11 */
#define _DEFAULT_SOURCE
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcaploop FILE.pcap\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    __fsetlocking(fp, FSETLOCKING_BYCALLER);
    static char iobuf[1 << 16];
    if (setvbuf(fp, iobuf, _IOFBF, sizeof iobuf) != 0) {
        fprintf(stderr, "pcaploop: setvbuf failed\n");
        return 1;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_fopen_offline(fp, err);
    if (!p) {
        fprintf(stderr, "pcaploop: %s: %s\n", argv[1], err);
        fclose(fp);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t frames = 0, bytes = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        frames++;
        bytes += h->caplen;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcaploop: %s: %s\n", argv[1], pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    printf("frames=%llu bytes=%llu\n", (unsigned long long)frames,
           (unsigned long long)bytes);
    pcap_close(p); /* also closes fp */
    return 0;
}
