/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vmlinux ELF file: symbol table (name → address, address → name), GNU
 * build-id, machine, and reads of its allocated sections (e.g. linux_banner).
 * Addresses are link-time (not KASLR-relocated); the target adds KERNELOFFSET.
 */
#ifndef SA_ELFSYMS_H
#define SA_ELFSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct sa_elf;

enum pcs_errcode sa_elf_open(const char *path, struct sa_elf **out, struct pcs_error *err);
void sa_elf_close(struct sa_elf *e);

/* ELF e_machine (EM_AARCH64, EM_X86_64). */
int sa_elf_machine(const struct sa_elf *e);
/* Hex GNU build-id, "" if none. */
const char *sa_elf_build_id(const struct sa_elf *e);
bool sa_elf_has_symtab(const struct sa_elf *e);

enum pcs_errcode sa_elf_symbol(struct sa_elf *e, const char *name, uint64_t *addr,
			       struct pcs_error *err);
/* Nearest function/object symbol at or below addr; false if none within its size. */
bool sa_elf_symbolize(struct sa_elf *e, uint64_t addr, const char **name, uint64_t *off,
		      uint64_t *size);
/* Read len bytes at link-time virtual address vaddr from the file's sections. */
enum pcs_errcode sa_elf_read(struct sa_elf *e, uint64_t vaddr, void *buf, size_t len,
			     struct pcs_error *err);

#endif
