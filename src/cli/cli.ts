// CLI entry: placeholder until the engine lands.
console.error('token-embeddings: not built yet');
process.exit(1);
