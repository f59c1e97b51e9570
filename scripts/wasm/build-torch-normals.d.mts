export function assembleTorchNormals(): Promise<Buffer>;
export function torchNormalsModuleSource(bytes: Buffer): string;
