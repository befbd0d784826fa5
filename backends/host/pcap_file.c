/* Host networking: the --pcap=FILE recording, in the classic pcap file
 * format (a global header, then a record header and the bytes of each
 * frame) with nanosecond timestamps, which tcpdump, tshark and Wireshark
 * read. Each record goes out in one write, so the file is whole at every
 * moment, even if the program is killed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "nic.h"

#define PCAP_MAGIC_NS 0xa1b23c4du /* nanosecond timestamps; readers
                                     learn the byte order from it */
#define PCAP_SNAPLEN 65535u
#define LINKTYPE_ETHERNET 1u

struct pcap_global_header {
	uint32_t magic;
	uint16_t version_major, version_minor; /* 2.4 */
	int32_t thiszone;                      /* 0: timestamps are UTC */
	uint32_t sigfigs;                      /* 0 */
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_record_header {
	uint32_t ts_sec, ts_nsec;
	uint32_t incl_len; /* bytes of the frame in the file */
	uint32_t orig_len; /* bytes of the frame on the wire */
};

static int pcap_fd = -1;
static char pcap_path[256]; /* for the message if writing fails */

int host_net_pcap(const char *path, struct host_error *err)
{
	struct pcap_global_header h = {
		.magic = PCAP_MAGIC_NS,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = PCAP_SNAPLEN,
		.linktype = LINKTYPE_ETHERNET,
	};
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return host_fail(err, -UL_EIO, "cannot create pcap file %s: %s",
		                 path, strerror(errno));
	if (write(fd, &h, sizeof(h)) != (ssize_t)sizeof(h)) {
		close(fd);
		return host_fail(err, -UL_EIO, "cannot write pcap file %s: %s",
		                 path, strerror(errno));
	}
	if (pcap_fd >= 0)
		close(pcap_fd);
	pcap_fd = fd;
	snprintf(pcap_path, sizeof(pcap_path), "%s", path);
	return 0;
}

void host_pcap_record(const void *frame, size_t len)
{
	if (pcap_fd < 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	uint32_t kept = len < PCAP_SNAPLEN ? (uint32_t)len : PCAP_SNAPLEN;
	struct pcap_record_header r = {
		.ts_sec = (uint32_t)now.tv_sec,
		.ts_nsec = (uint32_t)now.tv_nsec,
		.incl_len = kept,
		.orig_len = (uint32_t)len,
	};
	struct iovec iov[2] = {
		{.iov_base = &r, .iov_len = sizeof(r)},
		{.iov_base = (void *)frame, .iov_len = kept},
	};
	ssize_t want = (ssize_t)(sizeof(r) + kept);
	if (writev(pcap_fd, iov, 2) == want)
		return;
	/* A disk that fills must not stop the image: say so once and stop
	 * recording, so at most the last record is cut short. */
	fprintf(stderr, "pcap file %s: write failed (%s); no more frames are "
	        "recorded\n", pcap_path, strerror(errno));
	close(pcap_fd);
	pcap_fd = -1;
}
