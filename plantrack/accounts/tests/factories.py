import factory

from plantrack.accounts.models import Role, User

PASSWORD = "Mat-khau-thu-2025"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the password ``PASSWORD``. Agency roles need ``agency=``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: f"Người dùng {o.username}")
    role = Role.VIEWER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password", "password_changed_at"])
