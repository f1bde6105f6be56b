return await Tessel.Cli.TesselApp.RunAsync(args);
