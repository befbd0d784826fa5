/* baremetal: 16550 UARTs at 115200 8N1: the console on COM1, and the gdb
 * stub's line on COM2 (gdb.c), which polls it. Console output is
 * polled: wait for the transmit FIFO to drain, then fill it, 16 bytes a
 * time. Input is interrupt-driven: the only key the image listens for is
 * Ctrl-C, which ends it with status 130, as a shell reports a process
 * stopped that way (on a real serial console there is no other way to stop
 * an image; QEMU's -serial stdio keeps Ctrl-C for itself). Bytes go out as
 * they are: a terminal that wants "\r\n" should add the "\r" itself
 * (screen and minicom can). */
#include "bm.h"
#include "platform.h"
#include "x86_64/io.h"

#define COM1_IRQ 4
#define REG_DATA 0 /* THR when written, RBR when read */
#define REG_IER 1  /* interrupt enable; with DLAB, divisor high byte */
#define REG_DLL 0  /* with DLAB: divisor low byte */
#define REG_DLM 1
#define REG_FCR 2  /* FIFO control (write) */
#define REG_IIR 2  /* interrupt identification (read) */
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5

#define IER_RX_DATA 0x01
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0x07 /* enable both FIFOs and empty them */
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the UART's IRQ line on a PC */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20 /* the transmit FIFO is empty */
#define LSR_TX_IDLE 0x40   /* ... and so is the shift register */
#define FIFO_SIZE 16
#define DIVISOR_115200 1   /* 115200 = 1.8432 MHz / 16 / 1 */
#define CTRL_C 0x03
#define EXIT_INTERRUPTED 130

void ul_bm_uart_init(uint16_t port)
{
	x86_outb(port + REG_IER, 0);
	x86_outb(port + REG_LCR, LCR_DLAB);
	x86_outb(port + REG_DLL, DIVISOR_115200);
	x86_outb(port + REG_DLM, 0);
	x86_outb(port + REG_LCR, LCR_8N1);
	x86_outb(port + REG_FCR, FCR_ENABLE_CLEAR);
	x86_outb(port + REG_MCR, MCR_DTR_RTS_OUT2);
}

void ul_bm_uart_write(uint16_t port, const char *buf, size_t len)
{
	while (len > 0) {
		while (!(x86_inb(port + REG_LSR) & LSR_THR_EMPTY))
			;
		for (unsigned n = 0; n < FIFO_SIZE && len > 0; n++, len--)
			x86_outb(port + REG_DATA, (uint8_t)*buf++);
	}
}

int ul_bm_uart_read(uint16_t port)
{
	if (!(x86_inb(port + REG_LSR) & LSR_DATA_READY))
		return -1;
	return x86_inb(port + REG_DATA);
}

void ul_bm_serial_init(void)
{
	ul_bm_uart_init(BM_COM1);
}

void ul_plat_console_write(const char *buf, size_t len)
{
	ul_bm_uart_write(BM_COM1, buf, len);
}

void ul_bm_serial_drain(void)
{
	while (!(x86_inb(BM_COM1 + REG_LSR) & LSR_TX_IDLE))
		;
}

static void serial_interrupt(void)
{
	bool ctrl_c = false;

	x86_inb(BM_COM1 + REG_IIR);
	while (x86_inb(BM_COM1 + REG_LSR) & LSR_DATA_READY)
		ctrl_c |= x86_inb(BM_COM1 + REG_DATA) == CTRL_C;
	if (ctrl_c) {
		static const char msg[] = "\nbaremetal: interrupted (Ctrl-C)\n";
		ul_plat_console_write(msg, sizeof(msg) - 1);
		ul_plat_exit(EXIT_INTERRUPTED);
	}
}

void ul_bm_uart_interrupt_on_input(uint16_t port, unsigned irq, unsigned vector,
                                   void (*handler)(void))
{
	ul_bm_set_irq_handler(vector, handler);
	ul_bm_ioapic_route(irq, vector);
	x86_outb(port + REG_IER, IER_RX_DATA);
}

void ul_bm_serial_enable_input(void)
{
	while (x86_inb(BM_COM1 + REG_LSR) & LSR_DATA_READY)
		x86_inb(BM_COM1 + REG_DATA); /* typed before we listened */
	ul_bm_uart_interrupt_on_input(BM_COM1, COM1_IRQ, BM_VEC_SERIAL,
	                              serial_interrupt);
}
