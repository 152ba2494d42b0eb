/** The vault module: the only file other modules import. */
export { builtInFields } from './field-catalogue.ts';
export { createIngest, type Ingest } from './ingest.ts';
export { createKeyRotation, type KeyRotation } from './key-rotation.ts';
export { createRecordCrypto } from './record-crypto.ts';
export { vaultRoutes } from './vault.routes.ts';
export { createVaultService, type RevealQuotas, type VaultService } from './vault.service.ts';
