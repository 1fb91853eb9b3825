using Definitions;
using Templates.Generation.Cli;

// dotnet run --project definitions [-- --out DIR] [-- --env NAME]
return TemplatesCli.Run(args, FlaskApp.Definition, ShopApp.Definition);
