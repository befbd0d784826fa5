/* Scenario files: where each node's image is, by name in the build folder
 * or by path from the scenario's folder. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario_parse.h"

static int image_at(const char *path, char **out)
{
	if (access(path, X_OK) < 0)
		return -1;
	*out = sc_copy(path);
	return 0;
}

static int find_image(const struct scenario *sc, struct sc_node *n,
                      const char *build_dir, struct sc_error *err)
{
	char path[4096];
	if (strchr(n->image, '/')) {
		char *dir = sc_copy(sc->path);
		snprintf(path, sizeof(path), "%s/%s", dirname(dir), n->image);
		free(dir);
		if (image_at(n->image[0] == '/' ? n->image : path,
		             &n->image_path) == 0)
			return 0;
		snprintf(err->msg, sizeof(err->msg), "%.200s:%u: image %.300s of "
		         "node %s is not an executable file", sc->path, n->line,
		         n->image[0] == '/' ? n->image : path, n->name);
		sc_error_found(err);
		return -1;
	}
	static const char *const places[] = {"apps", "tests/images"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/%s.posix", build_dir,
		         places[i], n->image, n->image);
		if (image_at(path, &n->image_path) == 0)
			return 0;
	}
	snprintf(err->msg, sizeof(err->msg), "%.200s:%u: no image '%s' for "
	         "node %s: there is no apps/%s/%s.posix nor tests/images/%s/%s.posix "
	         "in %.150s (is it built? a path with a '/' names an image "
	         "elsewhere)", sc->path, n->line, n->image, n->name, n->image,
	         n->image, n->image, n->image, build_dir);
	sc_error_found(err);
	return -1;
}

int scenario_find_images(struct scenario *sc, const char *build_dir,
                         struct sc_error *err)
{
	int r = 0;
	for (unsigned i = 0; i < sc->nnodes; i++)
		/* A node whose line was refused has no image to look for. */
		if (sc->nodes[i].image &&
		    find_image(sc, &sc->nodes[i], build_dir, err) < 0)
			r = -1;
	return r;
}

