/* The CPU's random-number instructions as the entropy source of the x86_64
 * guests that own the CPU (entropy.c). */
#ifndef UL_X86_64_ENTROPY_H
#define UL_X86_64_ENTROPY_H

/* Say at boot, as backend, when the CPU has neither RDSEED nor RDRAND:
 * ul_plat_entropy() then fails with -UL_ENODEV. */
void ul_x86_entropy_check(const char *backend);

#endif
