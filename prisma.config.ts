// Used only by the Prisma CLI. Here it runs `prisma generate` (npm run db:generate); where the
// native engine exists (CI images, deployments), `prisma migrate deploy|status` read the same
// migrations and DATABASE_URL. Folio itself migrates with libs/db (npm run db:migrate).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/folio' },
});
