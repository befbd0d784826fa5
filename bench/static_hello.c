/* The boot benchmark's baseline: the least a Linux process can do to say
 * hello, linked statically so no dynamic loader runs before main. */
#include <stdio.h>

int main(void)
{
	puts("Hello from a static C program");
	return 0;
}
