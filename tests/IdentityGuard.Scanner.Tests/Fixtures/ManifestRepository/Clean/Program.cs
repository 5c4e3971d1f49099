Console.WriteLine("clean");
