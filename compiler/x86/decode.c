/* decode.c: instruction effects from the Zydis decoder (see decode.h). */
#include "decode.h"

#include <string.h>

#include <Zydis/Zydis.h>

#include "util.h"

/* Decoders and formatters are read-only after their init: one of each per mode. */
static struct mode {
	bool ready;
	ZydisDecoder dec;
	ZydisFormatter fmt;
} modes[2];

static const struct mode *mode_of(int bits)
{
	struct mode *m = &modes[bits == 64];

	if (!m->ready) {
		ZydisDecoderInit(&m->dec, bits == 64 ? ZYDIS_MACHINE_MODE_LONG_64 : ZYDIS_MACHINE_MODE_LEGACY_32,
				 bits == 64 ? ZYDIS_STACK_WIDTH_64 : ZYDIS_STACK_WIDTH_32);
		ZydisFormatterInit(&m->fmt, ZYDIS_FORMATTER_STYLE_ATT);
		m->ready = true;
	}
	return m;
}

static bool is_one_of(ZydisMnemonic m, const ZydisMnemonic *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == m)
			return true;
	return false;
}

static const ZydisMnemonic pushes[] = {ZYDIS_MNEMONIC_PUSH, ZYDIS_MNEMONIC_PUSHF, ZYDIS_MNEMONIC_PUSHFD,
				       ZYDIS_MNEMONIC_PUSHFQ};
static const ZydisMnemonic pops[] = {ZYDIS_MNEMONIC_POP, ZYDIS_MNEMONIC_POPF, ZYDIS_MNEMONIC_POPFD,
				     ZYDIS_MNEMONIC_POPFQ};
static const ZydisMnemonic stoppers[] = {ZYDIS_MNEMONIC_RET, ZYDIS_MNEMONIC_IRET, ZYDIS_MNEMONIC_IRETD,
					 ZYDIS_MNEMONIC_IRETQ, ZYDIS_MNEMONIC_JMP, ZYDIS_MNEMONIC_SYSRET,
					 ZYDIS_MNEMONIC_SYSEXIT, ZYDIS_MNEMONIC_UD2};

bool x86_decode(const unsigned char *b, int len, int bits, struct x86_decoded *d)
{
	const struct mode *m = mode_of(bits);
	ZydisMachineMode mm = bits == 64 ? ZYDIS_MACHINE_MODE_LONG_64 : ZYDIS_MACHINE_MODE_LEGACY_32;
	ZydisDecodedInstruction in;
	ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];

	memset(d, 0, sizeof(*d));
	if (len <= 0 || !ZYAN_SUCCESS(ZydisDecoderDecodeFull(&m->dec, b, (ZyanUSize)len, &in, op)))
		return false;
	d->len = in.length;
	for (int i = 0; i < in.operand_count; i++) {
		ZydisRegister r;
		int id;
		if (op[i].type != ZYDIS_OPERAND_TYPE_REGISTER || !(op[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
			continue;
		r = ZydisRegisterGetLargestEnclosing(mm, op[i].reg.value);
		switch (ZydisRegisterGetClass(r)) {
		case ZYDIS_REGCLASS_GPR32:
		case ZYDIS_REGCLASS_GPR64:
			break;
		default:
			continue; /* flags, rip, segment, control, vector registers */
		}
		id = ZydisRegisterGetId(r);
		/* the stack pointer as the stack moves it: what x86-code-stack follows */
		if (id == 4 && op[i].visibility != ZYDIS_OPERAND_VISIBILITY_EXPLICIT)
			continue;
		if (id >= 0 && id < 16)
			d->writes |= 1u << id;
	}
	d->stack = is_one_of(in.mnemonic, pushes, ARRAY_SIZE(pushes))  ? -1
		   : is_one_of(in.mnemonic, pops, ARRAY_SIZE(pops)) ? 1
										  : 0;
	d->calls = in.mnemonic == ZYDIS_MNEMONIC_CALL;
	d->stops = is_one_of(in.mnemonic, stoppers, ARRAY_SIZE(stoppers));
	if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&m->fmt, &in, op, in.operand_count_visible, d->text,
							  sizeof(d->text), ZYDIS_RUNTIME_ADDRESS_NONE, NULL)))
		d->text[0] = '\0';
	return true;
}
