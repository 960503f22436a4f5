from django.apps import AppConfig


class RelazioneConfig(AppConfig):
    name = "relazione"
    verbose_name = "Relazione sulla performance"
