export function assembleBf16Widen(): Promise<Buffer>;
export function bf16WidenModuleSource(bytes: Buffer): string;
