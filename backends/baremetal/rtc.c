/* baremetal: the CMOS real-time clock (MC146818), read once at boot for
 * the wall clock. The RTC counts in seconds, in BCD or binary and in 12-
 * or 24-hour form as its status register B says; it is read between its
 * once-a-second updates, twice until both reads agree. It keeps local time
 * or UTC as the machine's owner set it; QEMU sets UTC. */
#include <unilab/string.h>

#include "bm.h"
#include "platform.h"
#include "x86_64/io.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define REG_SECONDS 0x00
#define REG_MINUTES 0x02
#define REG_HOURS 0x04
#define REG_DAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_STATUS_A 0x0a
#define REG_STATUS_B 0x0b
#define STATUS_A_UPDATING 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOURS_PM 0x80

struct rtc_time {
	unsigned sec, min, hour, day, month, year;
};

static uint8_t cmos_read(uint8_t reg)
{
	x86_outb(CMOS_INDEX, reg);
	return x86_inb(CMOS_DATA);
}

/* An update takes under 2 ms; 50 ms of "updating" means no RTC. */
static bool read_raw(struct rtc_time *t)
{
	uint64_t give_up = ul_plat_clock_monotonic() + 50000000;

	while (cmos_read(REG_STATUS_A) & STATUS_A_UPDATING)
		if (ul_plat_clock_monotonic() > give_up)
			return false;
	t->sec = cmos_read(REG_SECONDS);
	t->min = cmos_read(REG_MINUTES);
	t->hour = cmos_read(REG_HOURS);
	t->day = cmos_read(REG_DAY);
	t->month = cmos_read(REG_MONTH);
	t->year = cmos_read(REG_YEAR);
	return true;
}

static unsigned from_bcd(unsigned v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

/* Days from 1970-01-01 to year-month-day of the proleptic Gregorian
 * calendar: count from March, so that the leap day ends a year. */
static int64_t days_from_epoch(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

uint64_t ul_bm_rtc_read(void)
{
	struct rtc_time a, b;
	uint8_t status_b = cmos_read(REG_STATUS_B);

	if (!read_raw(&a))
		return 0;
	for (;;) {
		if (!read_raw(&b))
			return 0;
		if (ul_memcmp(&a, &b, sizeof(a)) == 0)
			break;
		a = b;
	}
	bool pm = a.hour & HOURS_PM;
	a.hour &= ~HOURS_PM;
	if (!(status_b & STATUS_B_BINARY)) {
		a.sec = from_bcd(a.sec);
		a.min = from_bcd(a.min);
		a.hour = from_bcd(a.hour);
		a.day = from_bcd(a.day);
		a.month = from_bcd(a.month);
		a.year = from_bcd(a.year);
	}
	if (!(status_b & STATUS_B_24H))
		a.hour = a.hour % 12 + (pm ? 12 : 0);
	if (a.month < 1 || a.month > 12 || a.day < 1 || a.day > 31)
		return 0;
	/* Two digits of year: the RTC's century register is not standard;
	 * this clock is for a machine of this century. */
	int64_t days = days_from_epoch(2000 + a.year, a.month, a.day);
	int64_t secs = days * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
	return secs < 0 ? 0 : (uint64_t)secs * 1000000000ull;
}
