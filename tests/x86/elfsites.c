/* elfsites.c: read the patch-site records of an x86 object file (ELF, 32 or 64 bits), for the
 * x86 tests. For each record of .parainstructions it prints one line:
 *
 *   FUNC OFF TYPE LEN CLOBBERS BYTES TARGET
 *
 * FUNC: the function symbol the site is in, OFF: the site's offset in it, TYPE/LEN/CLOBBERS:
 * the record's fields (clobbers in hex), BYTES: the site's bytes in hex (relocated fields as
 * the object holds them), TARGET: what the site's first instruction reaches through its
 * relocation, "symbol+offset" (the slot: %rip-relative fields are corrected for the distance
 * to the end of the instruction), or "-".
 *
 * Usage: elfsites FILE.o; exit 1 on anything it cannot read, and on a .parainstructions section
 * that is not a whole number of records (each site pads its record to the full struct). */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *img;
static size_t size;
static int is64;

static void die(const char *why)
{
	fprintf(stderr, "elfsites: %s\n", why);
	exit(1);
}

static const void *at(uint64_t off, uint64_t len)
{
	if (off > size || len > size - off)
		die("truncated file");
	return img + off;
}

struct sec {
	const char *name;
	uint64_t off, size, link, info, entsize;
	uint32_t type;
};

static struct sec *secs;
static unsigned nsecs;

static void read_sections(void)
{
	uint64_t shoff;
	unsigned shnum, shstrndx, shentsize;

	if (size < 64 || memcmp(img, ELFMAG, SELFMAG) != 0)
		die("not an ELF file");
	is64 = img[EI_CLASS] == ELFCLASS64;
	if (is64) {
		const Elf64_Ehdr *h = at(0, sizeof(*h));
		shoff = h->e_shoff, shnum = h->e_shnum, shstrndx = h->e_shstrndx, shentsize = h->e_shentsize;
	} else {
		const Elf32_Ehdr *h = at(0, sizeof(*h));
		shoff = h->e_shoff, shnum = h->e_shnum, shstrndx = h->e_shstrndx, shentsize = h->e_shentsize;
	}
	secs = calloc(shnum ? shnum : 1, sizeof(*secs));
	nsecs = shnum;
	for (unsigned i = 0; i < shnum; i++) {
		struct sec *s = &secs[i];
		uint32_t name;
		if (is64) {
			const Elf64_Shdr *sh = at(shoff + (uint64_t)i * shentsize, sizeof(*sh));
			name = sh->sh_name, s->type = sh->sh_type, s->off = sh->sh_offset, s->size = sh->sh_size;
			s->link = sh->sh_link, s->info = sh->sh_info, s->entsize = sh->sh_entsize;
		} else {
			const Elf32_Shdr *sh = at(shoff + (uint64_t)i * shentsize, sizeof(*sh));
			name = sh->sh_name, s->type = sh->sh_type, s->off = sh->sh_offset, s->size = sh->sh_size;
			s->link = sh->sh_link, s->info = sh->sh_info, s->entsize = sh->sh_entsize;
		}
		s->name = (const char *)(uintptr_t)name; /* resolved below */
	}
	if (shstrndx >= shnum)
		die("no section names");
	for (unsigned i = 0; i < shnum; i++)
		secs[i].name = (const char *)at(secs[shstrndx].off + (uintptr_t)secs[i].name, 1);
}

static struct sec *find(const char *name)
{
	for (unsigned i = 0; i < nsecs; i++)
		if (strcmp(secs[i].name, name) == 0)
			return &secs[i];
	return NULL;
}

struct sym {
	const char *name;
	uint64_t value;
	unsigned shndx;
	int func;
};

static struct sym *syms;
static unsigned nsyms;

static void read_symbols(void)
{
	struct sec *st = NULL;

	for (unsigned i = 0; i < nsecs; i++)
		if (secs[i].type == SHT_SYMTAB)
			st = &secs[i];
	if (!st)
		die("no symbol table");
	nsyms = (unsigned)(st->size / st->entsize);
	syms = calloc(nsyms ? nsyms : 1, sizeof(*syms));
	for (unsigned i = 0; i < nsyms; i++) {
		uint32_t name;
		if (is64) {
			const Elf64_Sym *s = at(st->off + i * st->entsize, sizeof(*s));
			name = s->st_name, syms[i].value = s->st_value, syms[i].shndx = s->st_shndx;
			syms[i].func = ELF64_ST_TYPE(s->st_info) == STT_FUNC || ELF64_ST_TYPE(s->st_info) == STT_NOTYPE;
		} else {
			const Elf32_Sym *s = at(st->off + i * st->entsize, sizeof(*s));
			name = s->st_name, syms[i].value = s->st_value, syms[i].shndx = s->st_shndx;
			syms[i].func = ELF32_ST_TYPE(s->st_info) == STT_FUNC || ELF32_ST_TYPE(s->st_info) == STT_NOTYPE;
		}
		syms[i].name = (const char *)at(secs[st->link].off + name, 1);
		if (!syms[i].name[0] && (is64 ? ELF64_ST_TYPE(0) : 0) == 0 && syms[i].shndx < nsecs)
			syms[i].name = secs[syms[i].shndx].name; /* a section symbol */
	}
}

struct rel {
	uint64_t off;
	unsigned sym, type;
	int64_t addend;
	int rela;
};

/* The relocations that apply to section `target` (by index). */
static struct rel *relocs_for(unsigned target, unsigned *n)
{
	struct rel *out = NULL;

	*n = 0;
	for (unsigned i = 0; i < nsecs; i++) {
		struct sec *s = &secs[i];
		if ((s->type != SHT_RELA && s->type != SHT_REL) || s->info != target)
			continue;
		for (uint64_t k = 0; s->entsize && k < s->size / s->entsize; k++) {
			struct rel r = {0};
			if (is64) {
				const Elf64_Rela *e = at(s->off + k * s->entsize, sizeof(Elf64_Rel));
				r.off = e->r_offset, r.sym = ELF64_R_SYM(e->r_info), r.type = ELF64_R_TYPE(e->r_info);
				r.addend = s->type == SHT_RELA ? e->r_addend : 0;
			} else {
				const Elf32_Rela *e = at(s->off + k * s->entsize, sizeof(Elf32_Rel));
				r.off = e->r_offset, r.sym = ELF32_R_SYM(e->r_info), r.type = ELF32_R_TYPE(e->r_info);
				r.addend = s->type == SHT_RELA ? e->r_addend : 0;
			}
			r.rela = s->type == SHT_RELA;
			out = realloc(out, (*n + 1) * sizeof(*out));
			out[(*n)++] = r;
		}
	}
	return out;
}

int main(int argc, char **argv)
{
	FILE *f;
	struct sec *pi, *text;
	struct rel *prel, *trel;
	unsigned npr, ntr, pi_idx, text_idx;
	unsigned recsize;

	if (argc != 2)
		die("usage: elfsites FILE.o");
	if (!(f = fopen(argv[1], "rb")))
		die("cannot open the file");
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	img = malloc(size ? size : 1);
	if (fread(img, 1, size, f) != size)
		die("cannot read the file");
	fclose(f);
	read_sections();
	read_symbols();
	if (!(pi = find(".parainstructions")))
		return 0; /* no sites */
	if (!(text = find(".text")))
		die("no .text");
	pi_idx = (unsigned)(pi - secs);
	text_idx = (unsigned)(text - secs);
	prel = relocs_for(pi_idx, &npr);
	trel = relocs_for(text_idx, &ntr);
	recsize = is64 ? 16 : 8;
	/* every site pads its record to the whole struct (x86_64: 12 bytes of fields) */
	if (pi->size % recsize)
		die(".parainstructions is not a whole number of records");
	for (uint64_t off = 0; off < pi->size; off += recsize) {
		const unsigned char *rec = at(pi->off + off, recsize);
		unsigned ptr = is64 ? 8 : 4;
		int64_t addr = 0;
		int found = 0;
		for (unsigned i = 0; i < npr; i++)
			if (prel[i].off == off) {
				int32_t inplace;
				memcpy(&inplace, rec, 4);
				addr = prel[i].rela ? prel[i].addend : inplace;
				if (syms[prel[i].sym].shndx != text_idx)
					die("a record points outside .text");
				addr += (int64_t)syms[prel[i].sym].value;
				found = 1;
			}
		if (!found)
			die("a record has no relocation for its address");
		unsigned type = rec[ptr], len = rec[ptr + 1], clob = (unsigned)(rec[ptr + 2] | rec[ptr + 3] << 8);
		/* the function around the site: the closest named symbol at or before it */
		const struct sym *fn = NULL;
		for (unsigned i = 0; i < nsyms; i++)
			if (syms[i].shndx == text_idx && syms[i].func && syms[i].name[0] && syms[i].name[0] != '.' &&
			    syms[i].value <= (uint64_t)addr && (!fn || syms[i].value > fn->value))
				fn = &syms[i];
		const unsigned char *bytes = at(text->off + (uint64_t)addr, len);
		printf("%s %lld %u %u 0x%x ", fn ? fn->name : "?", (long long)(addr - (int64_t)(fn ? fn->value : 0)), type,
		       len, clob);
		for (unsigned i = 0; i < len; i++)
			printf("%02x", bytes[i]);
		/* the first relocation inside the site is its slot reference */
		const struct rel *slot = NULL;
		for (unsigned i = 0; i < ntr; i++)
			if (trel[i].off >= (uint64_t)addr && trel[i].off < (uint64_t)addr + len &&
			    (!slot || trel[i].off < slot->off))
				slot = &trel[i];
		if (slot) {
			int32_t inplace;
			int64_t a;
			memcpy(&inplace, img + text->off + slot->off, 4);
			a = slot->rela ? slot->addend : inplace;
			if (is64 && slot->type == R_X86_64_PC32)
				a += 4; /* the field ends the call or jmp: undo the distance to the next insn */
			printf(" %s+%lld\n", syms[slot->sym].name, (long long)a);
		} else {
			printf(" -\n");
		}
	}
	free(prel);
	free(trel);
	return 0;
}
