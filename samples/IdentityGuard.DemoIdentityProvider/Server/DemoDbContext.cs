using Microsoft.EntityFrameworkCore;

namespace IdentityGuard.Demo.Server;

/// <summary>
/// Holds OpenIddict's applications, scopes, authorizations and tokens; each server instance gets its own
/// in-memory database so instances never see each other's clients or tokens.
/// </summary>
internal sealed class DemoDbContext(DbContextOptions<DemoDbContext> options) : DbContext(options);
