/* hello: greets from whichever backend it was built for and echoes its
 * arguments, one per line, so a test can see them arrive intact. */
#include <unilab/app.h>
#include <unilab/console.h>

int ul_main(int argc, char **argv)
{
	ul_printf("Hello from Unilab! This is %s on the %s backend.\n", argv[0],
	          ul_backend());
	for (int i = 1; i < argc; i++)
		ul_printf("argument %d: %s\n", i, argv[i]);
	return 0;
}
