/* udponce: answer one UDP datagram and exit, never calling ul_net_start():
 * the first socket must bring the stack up by itself, as an app written
 * only against the socket API expects.
 *
 *   udponce [PORT]    (default 7)
 */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/socket.h>
#include <unilab/strtol.h>

int ul_main(int argc, char **argv)
{
	struct ul_sockaddr me = {.addr = 0, .port = 7}, peer;
	char buf[512];

	if (argc > 1)
		me.port = (uint16_t)ul_strtoul(argv[1], NULL, 10, NULL);
	int fd = ul_socket(UL_SOCK_DGRAM);
	int rc = fd < 0 ? fd : ul_bind(fd, &me);
	if (rc < 0) {
		ul_printf("udponce: cannot open udp port %u: %s\n", me.port,
		          ul_strerror(rc));
		return 1;
	}
	ul_printf("udponce: waiting on udp port %u\n", me.port);
	long n = ul_recvfrom(fd, buf, sizeof buf, 0, &peer);
	if (n < 0 || ul_sendto(fd, buf, (size_t)n, 0, &peer) != n) {
		ul_printf("udponce: %s\n", ul_strerror((int)n));
		return 1;
	}
	ul_printf("udponce: answered %ld bytes\n", n);
	ul_close(fd);
	return 0;
}
