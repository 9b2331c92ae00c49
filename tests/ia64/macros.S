/* macros.S: every ASM macro with realistic operands, including r8 and r9 operands and
 * predicated forms, once per shape the Xen forms tell apart. Assembled against each
 * backend's inst.h (INST_H) and the checker. Each use sits between labels M<n> so the tests
 * can read its bundles back; a stop follows each, as code using them would have (and a data
 * serialization follows each read of cr.ivr, under its own label). */
#include INST_H

	.text
M1:	MOV_FROM_IFA(r8)
	;;
M2:	MOV_FROM_IFA(r20)
	;;
M3:	MOV_FROM_ITIR(r21)
	;;
M4:	MOV_FROM_ISR(r9)
	;;
M5:	MOV_FROM_IHA(r22)
	;;
M6:	MOV_FROM_IPSR(p0, r23)
	;;
M7:	MOV_FROM_IPSR(p6, r8)
	;;
M8:	MOV_FROM_IIM(r24)
	;;
M9:	MOV_FROM_IIP(r25)
	;;
M10:	MOV_FROM_IVR(r8, r20)
	;;
X10:	srlz.d /* reading cr.ivr acknowledges an interrupt: serialize between reads */
	;;
M11:	MOV_FROM_IVR(r20, r8)
	;;
X11:	srlz.d /* reading cr.ivr acknowledges an interrupt: serialize between reads */
	;;
M12:	MOV_FROM_IVR(r21, r22)
	;;
X12:	srlz.d /* reading cr.ivr acknowledges an interrupt: serialize between reads */
	;;
M13:	MOV_FROM_PSR(p0, r8, r20)
	;;
M14:	MOV_FROM_PSR(p6, r20, r8)
	;;
M15:	MOV_FROM_PSR(p7, r21, r22)
	;;
M16:	MOV_FROM_ITC(p0, p6, r20, r21)
	;;
M17:	MOV_FROM_ITC(p8, p7, r8, r9)
	;;
M18:	MOV_TO_IFA(r8, r20)
	;;
M19:	MOV_TO_IFA(r21, r9)
	;;
M20:	MOV_TO_ITIR(p0, r20, r21)
	;;
M21:	MOV_TO_ITIR(p6, r8, r9)
	;;
M22:	MOV_TO_IHA(p7, r22, r23)
	;;
M23:	MOV_TO_IPSR(p0, r29, r25)
	;;
M24:	MOV_TO_IFS(p6, r30, r24)
	;;
M25:	MOV_TO_IIP(r28, r25)
	;;
M26:	MOV_TO_KR(CURRENT, r20, r8, r9)
	;;
M27:	MOV_TO_KR(CURRENT_STACK, r8, r20, r21)
	;;
M28:	MOV_TO_KR(PT_BASE, r9, r21, r8)
	;;
M29:	MOV_TO_KR(TSSD, r20, r9, r8)
	;;
M30:	MOV_TO_KR(IO_BASE, r22, r23, r24)
	;;
M31:	ITC_I(p0, r8, r20)
	;;
M32:	ITC_I(p6, r20, r8)
	;;
M33:	ITC_I(p7, r21, r22)
	;;
M34:	ITC_D(p0, r8, r20)
	;;
M35:	ITC_D(p6, r20, r8)
	;;
M36:	ITC_D(p8, r21, r22)
	;;
M37:	ITC_I_AND_D(p6, p7, r8, r20)
	;;
M38:	ITC_I_AND_D(p6, p7, r20, r8)
	;;
M39:	ITC_I_AND_D(p0, p0, r21, r22)
	;;
M40:	THASH(p0, r8, r20, r21)
	;;
M41:	THASH(p6, r20, r8, r21)
	;;
M42:	THASH(p7, r20, r21, r8)
	;;
M43:	THASH(p0, r22, r23, r24)
	;;
M44:	SSM_PSR_IC_AND_DEFAULT_BITS_AND_SRLZ_I(r20, r21)
	;;
M45:	SSM_PSR_IC_AND_SRLZ_D(r8, r9)
	;;
M46:	RSM_PSR_IC(r20)
	;;
M47:	SSM_PSR_I(p0, p6, r20)
	;;
M48:	SSM_PSR_I(p7, p8, r8)
	;;
M49:	RSM_PSR_I(p0, r20, r21)
	;;
M50:	RSM_PSR_I(p6, r8, r9)
	;;
M51:	RSM_PSR_I_IC(r20, r21, r22)
	;;
M52:	RSM_PSR_DT
	;;
M53:	RSM_PSR_BE_I(r20, r21)
	;;
M54:	SSM_PSR_DT_AND_SRLZ_I
	;;
M55:	BSW_0(r2, r3, r14)
	;;
M56:	BSW_1(r2, r3)
	;;
M57:	COVER
	;;
M58:	RFI
	;;
E:	nop 0 /* the last label needs an instruction to land on */
