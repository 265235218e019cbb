import type { MistralDeleteFile, MistralFile, MistralFileList, MistralSignedUrl } from './mistral.schemas.ts';

/** What the Files routes need from a `File` row. */
export interface MistralFileView {
  /** `File.id` (also the Nanonets request_file_id). */
  id: string;
  filename: string;
  /** Size of the original in bytes (null until stored: answered as 0). */
  bytes: number | null;
  /** Sniffed content type, e.g. `application/pdf`. */
  mime: string | null;
  createdAt: Date;
  /** Hex sha256 of the original; sent as `signature`. */
  sha256?: string | null;
  expiresAt?: Date | null;
  /** `workspace` unless the upload asked for `user`. */
  visibility?: 'workspace' | 'user' | null;
  /** The File row's status; answered as {@link mistralFileStatus}. Omitted: `complete`. */
  fileStatus?: 'QUEUED' | 'PROCESSING' | 'COMPLETE' | 'PARTIAL' | 'FAILED';
}

/** What a file object's `status` says. */
export type MistralFileStatus = 'processing' | 'complete' | 'partial' | 'failed';

/**
 * A file's `status`: `processing` while its OCR runs (queued or under way), `complete` once every
 * page is processed (the seed's word), `partial` when some pages failed, `failed` when the
 * document was refused or no page could be read. The upload itself is done in every case.
 */
export function mistralFileStatus(status: MistralFileView['fileStatus']): MistralFileStatus {
  switch (status) {
    case 'QUEUED':
    case 'PROCESSING':
      return 'processing';
    case 'PARTIAL':
      return 'partial';
    case 'FAILED':
      return 'failed';
    case 'COMPLETE':
    case undefined:
      return 'complete';
  }
}

const unixSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * The file object returned by upload, list and retrieve. `purpose` is always `ocr`,
 * `sample_type` `ocr_input` and `source` `upload`, as Mistral reports OCR uploads.
 */
export function mistralFileObject(file: MistralFileView): MistralFile {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes ?? 0,
    created_at: unixSeconds(file.createdAt),
    filename: file.filename,
    purpose: 'ocr',
    sample_type: 'ocr_input',
    num_lines: null,
    mimetype: file.mime,
    source: 'upload',
    signature: file.sha256 ?? null,
    expires_at: file.expiresAt ? unixSeconds(file.expiresAt) : null,
    visibility: file.visibility ?? 'workspace',
    // Deleted files are never served (404), so a file the API can show is not deleted.
    deleted: false,
    status: mistralFileStatus(file.fileStatus),
  };
}

/** `GET /v1/files`: `total` only when the client asked for it (`include_total`, default true). */
export function mistralFileList(files: readonly MistralFileView[], total?: number | null): MistralFileList {
  return {
    data: files.map(mistralFileObject),
    object: 'list',
    ...(total === undefined ? {} : { total }),
  };
}

/** `DELETE /v1/files/{file_id}`. */
export function mistralDeleteResponse(id: string): MistralDeleteFile {
  return { id, object: 'file', deleted: true };
}

/** `GET /v1/files/{file_id}/url`. */
export function mistralSignedUrlResponse(url: string): MistralSignedUrl {
  return { url };
}
