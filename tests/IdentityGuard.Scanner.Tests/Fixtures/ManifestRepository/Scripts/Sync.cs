public static class Sync
{
    public static string Describe() => "sync";
}
