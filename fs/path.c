/* Path resolution: components one at a time from the root, "." and "..",
 * repeated slashes, mount points crossed both ways, symbolic links
 * followed (at most MAX_LINKS per path, relative ones from the directory
 * holding them). */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "vfs.h"

#define MAX_LINKS 8

static struct loc root_loc(void)
{
	return (struct loc){0, vfs_mounts[0].root};
}

static int getattr(struct loc l, struct ul_stat *st)
{
	struct mount *m = &vfs_mounts[l.m];
	return m->ops->getattr(m, l.ino, st);
}

/* A directory with another file system mounted on it stands for that
 * file system's root. */
static struct loc cross_down(struct loc l)
{
	for (int k = 1; k < VFS_MAX_MOUNTS; k++)
		if (vfs_mounts[k].used && vfs_mounts[k].parent == l.m &&
		    vfs_mounts[k].covered == l.ino) {
			l = (struct loc){k, vfs_mounts[k].root};
			k = 0;
		}
	return l;
}

/* The parent of directory l: at a mount's root, the parent of the
 * directory it covers; "/.." is "/". */
static int parent_of(struct loc *l)
{
	while (l->ino == vfs_mounts[l->m].root) {
		if (vfs_mounts[l->m].parent < 0)
			return 0;
		*l = (struct loc){vfs_mounts[l->m].parent,
		                  vfs_mounts[l->m].covered};
	}
	struct mount *m = &vfs_mounts[l->m];
	return m->ops->lookup(m, l->ino, "..", 2, &l->ino);
}

static int walk(const char *path, struct loc cur, int follow, int parent,
                struct loc *out, char *last, int *links);

/* Continue a walk through the symlink at link: its target, then rest. */
static int follow_link(struct loc dir, struct loc link, const char *rest,
                       int follow, int parent, struct loc *out, char *last,
                       int *links)
{
	if (++*links > MAX_LINKS)
		return -UL_ELOOP;
	char buf[UL_PATH_MAX];
	struct mount *m = &vfs_mounts[link.m];
	long n = m->ops->readlink(m, link.ino, buf, sizeof buf);
	if (n < 0)
		return (int)n;
	/* The target, then "/rest" when there is a rest: a target of
	 * UL_PATH_MAX - 1 bytes can be followed at the end of a path. */
	size_t rlen = ul_strlen(rest), at = (size_t)n;
	if (at + (rlen ? 1 + rlen : 0) + 1 > sizeof buf)
		return -UL_ENAMETOOLONG;
	if (rlen)
		buf[at++] = '/';
	ul_memcpy(buf + at, rest, rlen + 1);
	if (n == 0)
		return -UL_ENOENT;
	return walk(buf, dir, follow, parent, out, last, links);
}

static int walk(const char *path, struct loc cur, int follow, int parent,
                struct loc *out, char *last, int *links)
{
	if (ul_strnlen(path, UL_PATH_MAX) >= UL_PATH_MAX)
		return -UL_ENAMETOOLONG;
	if (path[0] == '/')
		cur = root_loc();
	const char *p = path;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0') {
			if (last)
				last[0] = '\0';
			*out = cur;
			return 0;
		}
		const char *name = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - name);
		if (len > UL_NAME_MAX)
			return -UL_ENAMETOOLONG;
		const char *rest = p;
		while (*rest == '/')
			rest++;
		struct ul_stat st;
		int rc = getattr(cur, &st);
		if (rc < 0)
			return rc;
		if (!UL_S_ISDIR(st.mode))
			return -UL_ENOTDIR;
		if (*rest == '\0' && parent) {
			ul_memcpy(last, name, len);
			last[len] = '\0';
			*out = cur;
			return 0;
		}
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if ((rc = parent_of(&cur)) < 0)
				return rc;
			continue;
		}
		struct mount *m = &vfs_mounts[cur.m];
		struct loc next = {cur.m, 0};
		if ((rc = m->ops->lookup(m, cur.ino, name, len, &next.ino)) < 0)
			return rc;
		next = cross_down(next);
		if ((rc = getattr(next, &st)) < 0)
			return rc;
		if (UL_S_ISLNK(st.mode) && (*rest != '\0' || follow))
			return follow_link(cur, next, rest, follow, parent, out,
			                   last, links);
		cur = next;
	}
}

int vfs_resolve(const char *path, int follow, struct loc *out)
{
	if (!vfs_mounts[0].used)
		return -UL_ENOENT;
	int links = 0;
	return walk(path, root_loc(), follow, 0, out, NULL, &links);
}

int vfs_resolve_parent(const char *path, struct loc *dir,
                       char name[UL_NAME_MAX + 1])
{
	if (!vfs_mounts[0].used)
		return -UL_ENOENT;
	int links = 0;
	return walk(path, root_loc(), 1, 1, dir, name, &links);
}
