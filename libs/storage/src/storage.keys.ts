/** Where each object lives in the bucket; one place so the reaper can find everything of a file. */
export const storageKeys = {
  /** Everything of one organization. */
  orgPrefix: (orgId: string) => `orgs/${orgId}/`,
  /** Everything of one model (its training images). */
  modelPrefix: (orgId: string, modelId: string) => `orgs/${orgId}/models/${modelId}/`,
  filePrefix: (orgId: string, fileId: string) => `orgs/${orgId}/files/${fileId}/`,
  original: (orgId: string, fileId: string) => `orgs/${orgId}/files/${fileId}/original`,
  pageImage: (orgId: string, fileId: string, index: number) => `orgs/${orgId}/files/${fileId}/pages/${String(index).padStart(5, '0')}.png`,
  /** The words and verdict read from a PDF page's text layer (JSON), beside its image. */
  pageTextLayer: (orgId: string, fileId: string, index: number) => `orgs/${orgId}/files/${fileId}/pages/${String(index).padStart(5, '0')}.text-layer.json`,
  /** A mixed page's image regions packed on one sheet (PNG), beside its text layer, which says where each region sits. */
  pageRegionSheet: (orgId: string, fileId: string, index: number) => `orgs/${orgId}/files/${fileId}/pages/${String(index).padStart(5, '0')}.regions.png`,
};
