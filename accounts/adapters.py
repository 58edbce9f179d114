from allauth.account.adapter import DefaultAccountAdapter


class ClinicAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by the clinic: patients join through an invitation, never sign up."""

    def is_open_for_signup(self, request):
        return False
