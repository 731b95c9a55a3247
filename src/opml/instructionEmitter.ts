/**
 * Growable instruction columns: the program of a large model has millions of steps, so the
 * compiler appends each instruction to six typed arrays (doubled when full) instead of
 * allocating an object per step.
 */
export class InstructionEmitter {
  length = 0;
  op = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  dst = new Uint32Array(1024);
  a = new Uint32Array(1024);
  b = new Uint32Array(1024);
  imm = new Float64Array(1024);

  emit(op: number, flags: number, dst: number, a: number, b: number, imm = 0): void {
    if (this.length === this.op.length) {
      const grow = <T extends Uint8Array | Uint32Array | Float64Array>(array: T): T => {
        const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.op = grow(this.op); this.flags = grow(this.flags); this.dst = grow(this.dst);
      this.a = grow(this.a); this.b = grow(this.b); this.imm = grow(this.imm);
    }
    const i = this.length++;
    this.op[i] = op; this.flags[i] = flags; this.dst[i] = dst; this.a[i] = a; this.b[i] = b; this.imm[i] = imm;
  }
}
