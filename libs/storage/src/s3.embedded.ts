import { mkdir } from 'node:fs/promises';
import S3rver from 's3rver';
import account from 's3rver/lib/models/account.js';
import { abortMultipartMiddleware } from './s3rver.abort.middleware.ts';
import { sigV4Middleware, type S3Credentials } from './s3rver.sigv4.middleware.ts';

/** A running in-process S3 server. */
export interface EmbeddedS3 {
  /** `http://host:port`, to pass as `endpoint` with `forcePathStyle: true`. */
  endpoint: string;
  /** Stops accepting requests, drops open connections and waits for the server to stop. */
  close(): Promise<void>;
}

/** Options of `startEmbeddedS3`. */
export interface EmbeddedS3Options {
  /** Where objects are kept on disk (created if missing); reused across restarts. */
  directory: string;
  /** @defaultValue 0 (a free port chosen by the OS) */
  port?: number;
  /** @defaultValue '127.0.0.1' (never exposed beyond loopback unless asked) */
  host?: string;
  /** Buckets created before the server answers. */
  buckets?: string[];
  /**
   * The one key pair every request must be SigV4-signed with (header or presigned URL).
   * @defaultValue `S3RVER` / `S3RVER` (config's `S3_ACCESS_KEY_ID` / `S3_SECRET_ACCESS_KEY` defaults)
   */
  credentials?: S3Credentials;
  /** Called with method and URL of every request, before it is handled (tests, debugging). */
  onRequest?: (method: string, url: string) => void;
}

/**
 * Starts npm `s3rver` over real HTTP: the S3 used by `npm start` when `S3_ENDPOINT` is unset,
 * and by tests. Logging is silenced. Presigned GET/PUT work (s3rver accepts SigV4 query
 * signatures without checking them, so expiry is not enforced here; MinIO/AWS enforce it).
 * AbortMultipartUpload, which s3rver lacks, is added here so aborted uploads leave no parts.
 */
export async function startEmbeddedS3(opts: EmbeddedS3Options): Promise<EmbeddedS3> {
  await mkdir(opts.directory, { recursive: true });
  const credentials = opts.credentials ?? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  // s3rver still looks the key id up in its own registry after our check.
  account.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const host = opts.host ?? '127.0.0.1';
  const server = new S3rver({
    address: host,
    port: opts.port ?? 0,
    silent: true,
    directory: opts.directory,
    // Path-style only: with virtual hosts on, a Host header such as `folio.localhost` would be
    // read as a bucket name.
    vhostBuckets: false,
    configureBuckets: (opts.buckets ?? []).map((name) => ({ name })),
  });
  // Prepended so they run before s3rver's router.
  server.middleware.unshift(abortMultipartMiddleware(opts.directory));
  server.middleware.unshift(sigV4Middleware([credentials]));
  const onRequest = opts.onRequest;
  if (onRequest) {
    server.middleware.unshift(async (ctx, next) => {
      onRequest(ctx.method, ctx.querystring ? `${ctx.path}?${ctx.querystring}` : ctx.path);
      await next();
    });
  }
  const address = await server.run();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= (async () => {
        const done = server.close();
        // Keep-alive sockets from SDK clients would hold close() open until they time out.
        server.httpServer?.closeAllConnections();
        await done;
      })();
      return closing;
    },
  };
}
