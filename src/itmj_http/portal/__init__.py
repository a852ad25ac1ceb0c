"""The employer portal (``/employer/``), the platform console (``/platform/``) and the
account pages they share (``/account/``): server-rendered HTML over the same use cases the
API calls.

``mount`` adds them to the app. Every page works without JavaScript; sessions live on the
server (the configured ``SessionStore``), every form carries the session's CSRF token, and
pages declare who may open them with the guards in ``guards``.
"""
