from graphrnn.compat import tf
