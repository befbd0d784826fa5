/* unilab-kvm: gdb's TCP connection, as the stub's transport
 * (debugger/stub.h). */
#ifndef UL_KVM_GDB_TCP_H
#define UL_KVM_GDB_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stub.h"

struct gdb_tcp {
	int fd; /* -1 once closed */
	uint8_t buf[1024];
	size_t pos, len;
};

/* A socket listening on 127.0.0.1:port (0: any free port); the port it
 * got in *bound. async: non-blocking, and a connection waiting raises
 * SIGIO. -1 with errno when that fails. */
int gdb_tcp_listen(unsigned port, unsigned *bound, bool async);
/* Take gdb's connection (on a blocking socket, wait for it); false when
 * an async socket has none waiting. The connection raises SIGIO (to this
 * process) when input arrives. */
bool gdb_tcp_accept(int listen_fd, struct gdb_tcp *conn);
void gdb_tcp_close(struct gdb_tcp *conn);

/* The transport functions; ctx is the struct gdb_tcp. */
int gdb_tcp_read(void *ctx, bool wait);
bool gdb_tcp_write(void *ctx, const void *buf, size_t len);

#endif
