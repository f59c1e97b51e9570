export function assembleRowDots(): Promise<Buffer>;
export function rowDotsModuleSource(bytes: Buffer): string;
export function assembleRowDotsFused(): Promise<Buffer>;
export function rowDotsFusedModuleSource(bytes: Buffer): string;
