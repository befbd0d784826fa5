/* What an app provides and what it may ask of the image. */
#ifndef UL_APP_H
#define UL_APP_H

/* The app's entry point. argv[0] is the app's name; the return value is the
 * image's exit status (0..111; larger values are the core's own). */
int ul_main(int argc, char **argv);

/* The backend this image was built for: "posix", "kvm", ... */
const char *ul_backend(void);

#endif
