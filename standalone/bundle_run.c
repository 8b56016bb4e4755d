// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth bundle: run one analysis of this same binary in a child process. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"

static void last_line(const char *path, char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			snprintf(buf, len, "%s", line);
	}
	fclose(f);
}

enum pcs_errcode sa_bundle_exec(char *const argv[], const char *cwd, const char *outpath,
				const char *errpath, struct sa_bundle_run *r, struct pcs_error *err)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int ws;
	pid_t pid;

	if (n <= 0)
		return pcs_error_set(err, PCS_ERR_IO, "cannot find this program: %s",
				     strerror(errno));
	self[n] = '\0';
	int ofd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (ofd < 0)
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", outpath, strerror(errno));
	int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (efd < 0) {
		close(ofd);
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", errpath, strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(ofd);
		close(efd);
		return pcs_error_set(err, PCS_ERR_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		char **av;
		int ac = 0;

		while (argv[ac])
			ac++;
		av = calloc((size_t)ac + 2, sizeof(*av));
		if (!av || dup2(ofd, STDOUT_FILENO) < 0 || dup2(efd, STDERR_FILENO) < 0 ||
		    (cwd && chdir(cwd) != 0))
			_exit(127);
		av[0] = "pcsleuth";
		for (int i = 0; i < ac; i++)
			av[i + 1] = argv[i];
		execv(self, av);
		_exit(127);
	}
	close(ofd);
	close(efd);
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return pcs_error_set(err, PCS_ERR_IO, "waitpid: %s", strerror(errno));
	r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -WTERMSIG(ws);
	last_line(errpath, r->errline, sizeof(r->errline));
	return PCS_OK;
}
