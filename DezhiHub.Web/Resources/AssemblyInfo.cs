using System.Resources;

// zh-CN is the app's own language: any culture without texts of its own falls back to the zh-CN satellite
// (there is no neutral resource file to fall back to).
[assembly: NeutralResourcesLanguage("zh-CN", UltimateResourceFallbackLocation.Satellite)]
