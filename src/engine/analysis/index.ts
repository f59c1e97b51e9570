/** Understand-and-take-away computations for the panel, worker and CLI: all pure, plain data in and out. */
export * from './similarity';
export * from './tokenStats';
export * from './projection';
export * from './positional';
export * from './npy';
export * from './export';
export * from '../torchFormat';
export * from './pytorchSnippet';
export * from './views';
export * from './symmetricTop';
