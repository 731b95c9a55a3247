/**
 * Owns: reading what a .ptau file claims to be (curve, power, prepared or not, contributors)
 * without loading its points, so a user-supplied ceremony file (e.g. Hermez's
 * powersOfTau28_hez_final_NN.ptau) can be checked before snarkjs spends minutes on it.
 * Layout: snarkjs 0.7 / iden3 binfile — "ptau", u32 version, u32 section count, then sections
 * of u32 id + u64 size; section 1 = u32 n8, q (n8 bytes LE), u32 power, u32 ceremonyPower.
 */
import { promises as fs } from 'node:fs';
import { InputFileError } from '../../errors.ts';

export interface ReadPtauHeaderParameters {
  file: string;
}

export interface ReadPtauHeaderResult {
  file: string;
  curve: 'bn128';
  /** log2 of the largest domain the file serves. */
  power: number;
  /** Power of the ceremony the file was cut from (≥ power for truncated files). */
  ceremonyPower: number;
  /** Has sections 12–15 (Lagrange bases) that `snarkjs powersoftau prepare phase2` adds. */
  prepared: boolean;
  sectionIds: number[];
  /** Names in the contributions section (section 7), in order; unnamed ones are ''. */
  contributionNames: string[];
  bytes: number;
}

const bn128q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

export async function readPtauHeader(parameters: ReadPtauHeaderParameters): Promise<ReadPtauHeaderResult> {
  const { file } = parameters;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    throw new InputFileError(`${file}: cannot open the powers-of-tau file`, {
      hint: 'check the path, or leave ptauFile out to generate a local (insecure) one',
      details: { file },
      cause: error,
    });
  }
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      if (position + length > size) {
        throw new InputFileError(`${file}: truncated powers-of-tau file (needs ${position + length} bytes, has ${size})`, {
          hint: 'the file is incomplete (an interrupted download?); fetch it again',
          details: { file, size, needed: position + length },
        });
      }
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      return buffer;
    };
    const start = await read(0, 12);
    const magic = start.subarray(0, 4).toString('latin1');
    if (magic !== 'ptau') {
      throw new InputFileError(`${file}: not a powers-of-tau file (magic '${magic}', expected 'ptau')`, {
        hint: 'pass a .ptau file made by snarkjs (or a public ceremony such as Hermez powersOfTau28_hez_final_NN.ptau)',
        details: { file, magic },
      });
    }
    const sectionCount = start.readUInt32LE(8);
    const sections = new Map<number, { position: number; size: number }>();
    const sectionIds: number[] = [];
    let position = 12;
    for (let i = 0; i < sectionCount; i++) {
      const sectionHeader = await read(position, 12);
      const id = sectionHeader.readUInt32LE(0);
      const sectionSize = Number(sectionHeader.readBigUInt64LE(4));
      position += 12;
      if (sections.has(id)) {
        throw new InputFileError(`${file}: section ${id} appears twice`, { details: { file, section: id } });
      }
      sections.set(id, { position, size: sectionSize });
      sectionIds.push(id);
      position += sectionSize;
    }
    if (position > size) {
      throw new InputFileError(`${file}: truncated powers-of-tau file (sections end at byte ${position}, file has ${size})`, {
        hint: 'the file is incomplete (an interrupted download or write?); fetch or generate it again',
        details: { file, size, needed: position },
      });
    }
    const header = sections.get(1);
    if (!header) throw new InputFileError(`${file}: powers-of-tau file has no header section`, { details: { file } });
    const headerBytes = await read(header.position, header.size);
    const n8 = headerBytes.readUInt32LE(0);
    let prime = 0n;
    for (let i = n8 - 1; i >= 0; i--) prime = (prime << 8n) | BigInt(headerBytes[4 + i]);
    if (n8 !== 32 || prime !== bn128q) {
      throw new InputFileError(`${file}: powers-of-tau file is not for bn128 (field of ${n8 * 8} bits, q = ${prime})`, {
        hint: 'opzk-bench proves on bn128 (alt_bn128, the curve of the EVM precompiles): use a bn128 ptau',
        details: { file, n8, q: prime.toString() },
      });
    }
    const power = headerBytes.readUInt32LE(4 + n8);
    const ceremonyPower = headerBytes.readUInt32LE(8 + n8);
    const expectTauG1 = (2 ** (power + 1) - 1) * 64;
    const tauG1 = sections.get(2);
    if (!tauG1 || tauG1.size !== expectTauG1) {
      throw new InputFileError(`${file}: section 2 (tauG1) has ${tauG1?.size ?? 0} bytes, a power-${power} file needs ${expectTauG1}`, {
        details: { file, power, section: 2 },
      });
    }
    const prepared = [12, 13, 14, 15].every((id) => sections.has(id));
    return {
      file,
      curve: 'bn128',
      power,
      ceremonyPower,
      prepared,
      sectionIds,
      contributionNames: sections.has(7) ? parseContributionNames(await read(sections.get(7)!.position, sections.get(7)!.size)) : [],
      bytes: size,
    };
  } finally {
    await handle.close();
  }
}

/** snarkjs powersoftau_utils.readContribution, keeping only the names. */
function parseContributionNames(section: Buffer): string[] {
  const names: string[] = [];
  const count = section.readUInt32LE(0);
  let position = 4;
  const fixedBytes = 64 * 3 + 128 * 2 + 64 * 6 + 128 * 3 + 216 + 64; // points, public key, partial hash, next challenge
  for (let i = 0; i < count && position < section.byteLength; i++) {
    position += fixedBytes + 4; // + type
    const parametersLength = section.readUInt32LE(position);
    position += 4;
    const end = position + parametersLength;
    let name = '';
    while (position < end) {
      const type = section[position++];
      if (type === 1) {
        const length = section[position++];
        name = section.subarray(position, position + length).toString('utf8');
        position += length;
      } else if (type === 2) {
        position += 1;
      } else if (type === 3) {
        position += 1 + section[position];
      } else {
        break;
      }
    }
    position = end;
    names.push(name);
  }
  return names;
}
