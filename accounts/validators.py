"""The password policy, with messages in Chinese.

Length and character classes, not similar to the username or real name, not a common
password, not one of the user's last few passwords (PasswordHistory).
"""

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class MinimumLengthValidator:
    def __init__(self, min_length=10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符。", code="password_too_short"
            )

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


_CLASSES = [
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("数字", lambda c: c in string.digits),
    ("符号", lambda c: not c.isalnum() or not c.isascii()),
]


class CharacterClassesValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = [name for name, test in _CLASSES if any(test(c) for c in password)]
        if len(used) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类"
                f"（现在只有 {len(used)} 类）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "real_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        for name in self.user_attributes:
            value = (getattr(user, name, "") or "").lower()
            # Containing the username or real name is "similar" even when the rest is long.
            if len(value) >= 2 and value in lowered:
                raise ValidationError("密码不能包含用户名或真实姓名。", code="password_too_similar")
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("密码与用户名或真实姓名太相似。", code="password_too_similar") from None

    def get_help_text(self):
        return "密码不能与用户名、真实姓名相似。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("这是一个常见密码，容易被猜中。", code="password_too_common") from None

    def get_help_text(self):
        return "不能使用常见密码。"


class PasswordHistoryValidator:
    """Refuses the user's current and previous passwords, up to `remember` of them."""

    def __init__(self, remember=5):
        self.remember = remember

    def _recent(self, user):
        from .models import PasswordHistory

        return PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.remember]

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        previous = [user.password, *self._recent(user)] if user.has_usable_password() else self._recent(user)
        if any(check_password(password, encoded) for encoded in previous):
            raise ValidationError(
                f"不能使用最近 {self.remember} 次用过的密码。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        from .models import PasswordHistory

        if user is not None and user.pk is not None:
            PasswordHistory.objects.create(user=user, password=user.password)
            stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.remember :]
            PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return f"不能使用最近 {self.remember} 次用过的密码。"
