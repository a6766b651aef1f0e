from rest_framework import generics, permissions, serializers

from .api_renderers import LIST_RENDERERS
from .models import CompetenceArea, Municipality


class MunicipalitySerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Municipality
        fields = ["code", "name", "county_code", "latitude", "longitude", "in_region", "aliases"]


class CompetenceAreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)

    class Meta:
        model = CompetenceArea
        fields = ["code", "parent", "label_nb", "label_nn", "label_en", "synonyms"]


class MunicipalityList(generics.ListAPIView):
    """Every municipality by its official code, with its retired alias codes (anyone)."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.prefetch_related("aliases").order_by("code")
    pagination_class = None


class CompetenceAreaList(generics.ListAPIView):
    """The competence taxonomy: areas and sub-areas (`<area>.<slug>`) with labels in nb, nn
    and en and search synonyms (anyone)."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = CompetenceAreaSerializer
    queryset = CompetenceArea.objects.filter(is_active=True).select_related("parent")
    pagination_class = None
