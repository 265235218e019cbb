import { mkdir } from 'node:fs/promises';
import S3rver from 's3rver';
import account from 's3rver/lib/models/account.js';
import { abortMultipartMiddleware } from './s3rver.abort.middleware.ts';

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
   * Extra key pair to accept besides s3rver's built-in `S3RVER`/`S3RVER`, so a configured
   * `S3_ACCESS_KEY_ID` works against the embedded server too.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string };
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
  if (opts.credentials) account.DUMMY_ACCOUNT.createKeyPair(opts.credentials.accessKeyId, opts.credentials.secretAccessKey);
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
