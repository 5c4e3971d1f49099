using Microsoft.EntityFrameworkCore;

namespace IdentityGuard.Demo.Server;

/// <summary>
/// Holds OpenIddict's applications, scopes, authorizations and tokens. Each server instance gets its own in-memory
/// database, so instances never see each other's clients or tokens, unless it was given a data directory: then the
/// database is a SQLite file there that outlives the process.
/// </summary>
internal sealed class DemoDbContext(DbContextOptions<DemoDbContext> options) : DbContext(options);
