"""ID-card readers reached only through their maker's library (the generic ``SDT_*`` SDK,
华视's ``termb``): the library runs in a helper process, one request per library call over a
pipe, so a library that hangs or crashes costs a restart of the helper, never the kiosk."""
