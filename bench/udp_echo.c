/* The latency study's UDP echo for the baselines (RFC 862 over UDP): the
 * container and the Linux VM run it beside busybox httpd, so that they
 * answer the same round trips as Unilab's echo app. Static, so it needs
 * nothing from the rootfs it is copied into. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("udp_echo");
		return 1;
	}
	for (;;) {
		char buf[65536];
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
		                     (struct sockaddr *)&peer, &len);
		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, len);
	}
}
