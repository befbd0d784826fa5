/* Host networking: pcap files (the --pcap=FILE recording, the simulator's
 * one file per link), in the classic pcap format (a global header, then a
 * record header and the bytes of each frame) with nanosecond timestamps,
 * which tcpdump, tshark and Wireshark read. Each record goes out in one
 * write, so the file is whole at every moment, even if the program is
 * killed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

struct ul_host_pcap {
	int fd; /* -1 once a write failed: the file stops growing */
	char path[256]; /* for the message if writing fails */
};

int ul_host_pcap_open(const char *path, struct ul_host_pcap **out,
		      struct ul_host_error *err)
{
	struct pcap_global_header h = {
		.magic = PCAP_MAGIC_NS,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = PCAP_SNAPLEN,
		.linktype = LINKTYPE_ETHERNET,
	};
	struct ul_host_pcap *pcap = malloc(sizeof(*pcap));
	if (!pcap)
		return ul_host_fail(err, -UL_ENOMEM,
				    "no memory for pcap file %s", path);
	snprintf(pcap->path, sizeof(pcap->path), "%s", path);
	pcap->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (pcap->fd < 0 ||
	    write(pcap->fd, &h, sizeof(h)) != (ssize_t)sizeof(h)) {
		int r = ul_host_fail(err, -UL_EIO, "cannot %s pcap file %s: %s",
				     pcap->fd < 0 ? "create" : "write", path,
				     strerror(errno));
		ul_host_pcap_close(pcap);
		return r;
	}
	*out = pcap;
	return 0;
}

void ul_host_pcap_write(struct ul_host_pcap *pcap, uint64_t ts_ns,
			const void *frame, size_t len)
{
	if (pcap->fd < 0)
		return;
	uint32_t kept = len < PCAP_SNAPLEN ? (uint32_t)len : PCAP_SNAPLEN;
	struct pcap_record_header r = {
		.ts_sec = (uint32_t)(ts_ns / 1000000000u),
		.ts_nsec = (uint32_t)(ts_ns % 1000000000u),
		.incl_len = kept,
		.orig_len = (uint32_t)len,
	};
	struct iovec iov[2] = {
		{.iov_base = &r, .iov_len = sizeof(r)},
		{.iov_base = (void *)frame, .iov_len = kept},
	};
	ssize_t want = (ssize_t)(sizeof(r) + kept);
	if (writev(pcap->fd, iov, 2) == want)
		return;
	/* A disk that fills must not stop the program: say so once and stop
	 * recording, so at most the last record is cut short. */
	fprintf(stderr, "pcap file %s: write failed (%s); no more frames are "
	        "recorded\n", pcap->path, strerror(errno));
	close(pcap->fd);
	pcap->fd = -1;
}

void ul_host_pcap_close(struct ul_host_pcap *pcap)
{
	if (pcap->fd >= 0)
		close(pcap->fd);
	free(pcap);
}

/* The --pcap= recording: one file for every interface of the program. */
static struct ul_host_pcap *recording;

int ul_host_net_pcap(const char *path, struct ul_host_error *err)
{
	struct ul_host_pcap *pcap;
	int r = ul_host_pcap_open(path, &pcap, err);
	if (r < 0)
		return r;
	if (recording)
		ul_host_pcap_close(recording);
	recording = pcap;
	return 0;
}

void ul_host_pcap_record(const void *frame, size_t len)
{
	if (!recording)
		return;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	ul_host_pcap_write(recording,
			   (uint64_t)now.tv_sec * 1000000000u +
				   (uint64_t)now.tv_nsec,
			   frame, len);
}
